package io.wsgate.jetty;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;

import java.util.concurrent.CompletableFuture;

/** What the tests' client handlers share: the session, and the close status once closed; errors end in that close. */
abstract class ClientHandler implements FrameHandler {
    final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    volatile CoreSession session;

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        closed.complete(closeStatus);
        callback.succeeded();
    }
}
