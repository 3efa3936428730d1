package io.wsgate.jetty.internal.dedicated;

import io.wsgate.api.Headers;
import io.wsgate.jetty.internal.SwitchingProtocols;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The responses the dedicated connector writes itself, as bytes: the 101 that upgrades a client, and an error
 * (with its body) that ends the connection.
 */
final class ResponseHeads {

    private ResponseHeads() {
    }

    /**
     * @param key         the client's {@code Sec-WebSocket-Key}
     * @param subprotocol the subprotocol the backend chose; empty for none
     * @return the 101 response, with the headers of {@link SwitchingProtocols}
     */
    static ByteBuffer switching(String key, String subprotocol) {
        HttpFields.Mutable headers = HttpFields.build(4);
        SwitchingProtocols.addTo(headers, key, subprotocol);
        StringBuilder s = new StringBuilder(160).append("HTTP/1.1 101 Switching Protocols\r\n");
        for (HttpField h : headers) {
            s.append(h.getName()).append(": ").append(h.getValue()).append("\r\n");
        }
        return ascii(s.append("\r\n"));
    }

    /**
     * @param status    the status
     * @param headers   the response headers (checked: no CR, LF or NUL in a value); {@code Content-Length} and
     *                  {@code Connection} are written here, whatever these say
     * @param body      the body
     * @param writeBody false to leave the body out (a response to HEAD), its length still given
     * @return the error response, head and body, with {@code Connection: close}
     */
    static ByteBuffer error(int status, Headers headers, byte[] body, boolean writeBody) {
        StringBuilder s = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(HttpStatus.getMessage(status)).append("\r\n");
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Connection")) {
                s.append(name).append(": ").append(value).append("\r\n");
            }
        });
        s.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        byte[] head = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(head.length + (writeBody ? body.length : 0)).put(head);
        if (writeBody) {
            b.put(body);
        }
        return b.flip();
    }

    /**
     * @param status a status Jetty's parser or this connector chose (431, 414, 400...)
     * @return an error response with the status's reason as a plain-text body
     */
    static ByteBuffer plainError(int status) {
        byte[] body = (status + " " + HttpStatus.getMessage(status) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        return error(status, Headers.of("Content-Type", "text/plain;charset=utf-8"), body, true);
    }

    private static ByteBuffer ascii(CharSequence s) {
        return ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
