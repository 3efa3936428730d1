package io.wsgate.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** Hand-made WebSocket frames for the bad-input tests. */
final class RawFrames {

    private RawFrames() {
    }

    /** A frame: first byte (FIN, RSV, opcode) as given, payload masked when a mask is given. */
    static byte[] frame(int firstByte, byte[] payload, byte[] mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int maskBit = mask == null ? 0 : 0x80;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        }
        if (mask != null) {
            out.writeBytes(mask);
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= mask[i % 4];
            }
            out.writeBytes(masked);
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    static final byte[] MASK = {1, 2, 3, 4};

    /** One frame read off a stream (unmasked, as a server sends). */
    record Read(int firstByte, byte[] payload) {
        int opcode() {
            return firstByte & 0x0F;
        }

        boolean fin() {
            return (firstByte & 0x80) != 0;
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    static Read read(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("end of stream");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) len);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
        }
        return new Read(b0, payload);
    }

    /** Reads frames until a close frame and returns it. */
    static Read readUntilClose(InputStream in) throws IOException {
        while (true) {
            Read r = read(in);
            if (r.opcode() == 8) {
                return r;
            }
        }
    }

    static byte[] close(int code, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }

    static String accept(String key) throws java.security.NoSuchAlgorithmException {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] d = sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(d);
    }
}
