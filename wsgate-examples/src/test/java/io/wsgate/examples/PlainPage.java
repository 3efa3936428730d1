package io.wsgate.examples;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.util.List;
import java.util.Map;

/**
 * What a plain page's {@code new WebSocket(url, protocols)} saw, run in the page the browser shows (so with its
 * origin): open with the subprotocol, the echo of one message, and the close with its code, reason and cleanliness.
 *
 * @param events   "open", "message:TEXT", "error", "close:CODE", in order
 * @param protocol {@code ws.protocol} once open; empty otherwise
 * @param code     the close code
 * @param reason   the close reason
 * @param clean    {@code wasClean}
 */
record PlainPage(List<String> events, String protocol, long code, String reason, boolean clean) {

    /** Opens, sends {@code message} once open, closes with 1000 "done" on its echo; completes at the close. */
    private static final String SCRIPT = """
            const [url, protocols, message, done] = arguments;
            const seen = { events: [], protocol: '', code: 0, reason: '', clean: false };
            let ws;
            try {
              ws = new WebSocket(url, protocols);
            } catch (e) {
              seen.events.push('throw:' + e.name);
              done(seen);
              return;
            }
            ws.onopen = () => { seen.events.push('open'); seen.protocol = ws.protocol; ws.send(message); };
            ws.onmessage = (e) => { seen.events.push('message:' + e.data); ws.close(1000, 'done'); };
            ws.onerror = () => seen.events.push('error');
            ws.onclose = (e) => {
              seen.events.push('close:' + e.code);
              Object.assign(seen, { code: e.code, reason: e.reason, clean: e.wasClean });
              done(seen);
            };
            """;

    /** Opens and completes at the echo of one message, leaving the WebSocket open in {@code window.held}. */
    private static final String HOLD = """
            const [url, protocols, message, done] = arguments;
            const ws = new WebSocket(url, protocols);
            window.held = ws;
            ws.onopen = () => ws.send(message);
            ws.onmessage = (e) => done('echoed:' + e.data + ' on ' + ws.protocol);
            ws.onclose = (e) => done('close:' + e.code);
            """;

    /**
     * Opens a WebSocket that stays open (in {@code window.held}) once one message was echoed.
     *
     * @return "echoed:MESSAGE on SUBPROTOCOL", or "close:CODE" when it failed
     */
    static String openAndHold(WebDriver browser, String url, List<String> protocols) {
        return (String) ((JavascriptExecutor) browser).executeAsyncScript(HOLD, url, protocols, "held");
    }

    /** Closes the held WebSocket with 1000 and waits for its close; returns the close code. */
    static long closeHeld(WebDriver browser) {
        return ((Number) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[0]; window.held.onclose = (e) => done(e.code); window.held.close(1000);"))
                .longValue();
    }

    /**
     * Runs the page's WebSocket; waits (the driver's script timeout) for its close.
     *
     * @param browser   a browser showing a page of the origin to connect from
     * @param url       the WebSocket URL
     * @param protocols the subprotocols offered
     * @return what the page saw
     */
    @SuppressWarnings("unchecked")
    static PlainPage connect(WebDriver browser, String url, List<String> protocols) {
        Map<String, Object> seen = (Map<String, Object>) ((JavascriptExecutor) browser)
                .executeAsyncScript(SCRIPT, url, protocols, "hello from the page");
        return new PlainPage((List<String>) seen.get("events"), (String) seen.get("protocol"),
                ((Number) seen.get("code")).longValue(), (String) seen.get("reason"), (Boolean) seen.get("clean"));
    }
}
