package io.wschat.chat;

/**
 * Server push to one connection that is not chat: progress jobs and subscriptions.
 *
 * <p>Implementations never block the caller (it is a connection's receive thread). They refuse
 * a command by throwing {@link ProtocolException}, which the client gets as an {@code error}
 * event, and on {@link #closed} they stop everything the session started, so a dropped
 * connection leaves no work behind.
 */
public interface LiveUpdates {

    void handle(ChatSession session, ClientCommand.Live command);

    void closed(ChatSession session);
}
