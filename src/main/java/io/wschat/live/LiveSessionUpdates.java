package io.wschat.live;

import io.wschat.chat.ChatSession;
import io.wschat.chat.ClientCommand;
import io.wschat.chat.ErrorCode;
import io.wschat.chat.LiveUpdates;
import io.wschat.chat.ProtocolCodec;
import io.wschat.chat.ProtocolException;
import io.wschat.chat.ServerEvent;
import io.wschat.progress.JobRequest;
import io.wschat.progress.ProgressJobs;

/**
 * The {@code progress}, {@code cancel}, {@code subscribe} and {@code unsubscribe} commands of a
 * {@code /chat} connection. Their events go to that connection alone, through its bounded
 * outbound queue, so a client that does not read them is closed like any slow consumer.
 */
final class LiveSessionUpdates implements LiveUpdates {

    private final ProgressJobs jobs;
    private final TimeSubscriptions time;
    private final ProtocolCodec codec;

    LiveSessionUpdates(ProgressJobs jobs, TimeSubscriptions time, ProtocolCodec codec) {
        this.jobs = jobs;
        this.time = time;
        this.codec = codec;
    }

    @Override
    public void handle(ChatSession session, ClientCommand.Live command) {
        // Java 17: no pattern matching for switch yet.
        if (command instanceof ClientCommand.StartProgress p) {
            jobs.start(session.id(), null, new JobRequest(p.chunks(), p.chunkBytes(), p.intervalMillis(), p.failAtChunk(), p.label()),
                    event -> send(session, event));
        } else if (command instanceof ClientCommand.CancelProgress c) {
            if (!jobs.cancel(session.id(), c.jobId())) {
                throw new ProtocolException(ErrorCode.UNKNOWN_JOB, "no running job of yours has id '" + c.jobId() + "'");
            }
        } else if (command instanceof ClientCommand.Subscribe s) {
            time.subscribe(session.id(), s.intervalMillis(), event -> send(session, event));
        } else if (command instanceof ClientCommand.Unsubscribe) {
            time.unsubscribe(session.id());
        }
    }

    @Override
    public void closed(ChatSession session) {
        jobs.cancelAll(session.id());
        time.unsubscribe(session.id());
    }

    private void send(ChatSession session, ServerEvent event) {
        session.connection().send(codec.encode(event));
    }
}
