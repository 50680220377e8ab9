package io.wschat.progress;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.wschat.chat.ErrorCode;
import io.wschat.chat.ProtocolException;
import io.wschat.chat.ServerEvent;
import io.wschat.chat.TextRule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs simulated long jobs and reports their progress. Every job is a periodic task on one
 * shared scheduler, never a thread of its own; jobs are capped per owner (a connection, or a
 * room for jobs started over HTTP) and in total, and report at most once per interval.
 *
 * <p>Each job sends a {@code running} event at 0% when it starts, one per chunk, and ends with
 * exactly one {@code done}, {@code failed} or {@code cancelled}; its events are sent in order.
 * Sinks must not block: they run on the scheduler.
 */
public final class ProgressJobs {

    private static final Logger log = LoggerFactory.getLogger(ProgressJobs.class);
    private static final int MAX_LABEL_LENGTH = 64;

    private final ScheduledExecutorService scheduler;
    private final ProgressLimits limits;
    /** Running jobs by owner, then by id. Guarded by {@code this}. */
    private final Map<String, Map<String, Job>> byOwner = new HashMap<>();
    private int running;

    public ProgressJobs(ScheduledExecutorService scheduler, ProgressLimits limits) {
        this.scheduler = scheduler;
        this.limits = limits;
    }

    /**
     * Starts a job for {@code owner}, reporting to {@code sink}; {@code room} is only copied into
     * the events. Returns the job id. Throws {@code invalid_job} or {@code too_many_jobs}.
     */
    public String start(String owner, String room, JobRequest request, Consumer<ServerEvent.Progress> sink) {
        JobSpec spec = validate(request);
        Job job = new Job(UUID.randomUUID().toString().substring(0, 8), owner, room, spec, sink);
        synchronized (this) {
            Map<String, Job> own = byOwner.computeIfAbsent(owner, o -> new LinkedHashMap<>());
            if (own.size() >= limits.maxJobsPerOwner() || running >= limits.maxJobs()) {
                if (own.isEmpty()) {
                    byOwner.remove(owner);
                }
                throw new ProtocolException(ErrorCode.TOO_MANY_JOBS, own.size() >= limits.maxJobsPerOwner()
                        ? "at most " + limits.maxJobsPerOwner() + " jobs may run at once; cancel one or wait"
                        : "the server runs " + limits.maxJobs() + " jobs already; try again later");
            }
            own.put(job.id, job);
            running++;
        }
        job.begin();
        log.debug("job {} for {} started: {} chunks of {} bytes every {} ms", job.id, owner, spec.chunks, spec.chunkBytes, spec.intervalMillis);
        return job.id;
    }

    /** Cancels one of the owner's jobs, which then reports {@code cancelled}; false if it has none by that id. */
    public boolean cancel(String owner, String jobId) {
        Job job;
        synchronized (this) {
            Map<String, Job> own = byOwner.get(owner);
            job = own == null ? null : own.get(jobId);
        }
        return job != null && job.finish("cancelled", "cancelled on request", true);
    }

    /** Stops every job of an owner that has gone (a closed connection) without reporting: there is no one to tell. */
    public void cancelAll(String owner) {
        List<Job> jobs;
        synchronized (this) {
            Map<String, Job> own = byOwner.get(owner);
            jobs = own == null ? List.of() : List.copyOf(own.values());
        }
        for (Job job : jobs) {
            job.finish("cancelled", "connection closed", false);
        }
    }

    public synchronized int runningJobs() {
        return running;
    }

    private synchronized void remove(Job job) {
        Map<String, Job> own = byOwner.get(job.owner);
        if (own != null && own.remove(job.id) != null) {
            running--;
            if (own.isEmpty()) {
                byOwner.remove(job.owner);
            }
        }
    }

    private JobSpec validate(JobRequest request) {
        JobRequest defaults = limits.defaults();
        int chunks = within("chunks", orDefault(request.chunks(), defaults.chunks()), 1, limits.maxChunks());
        int chunkBytes = within("chunkBytes", orDefault(request.chunkBytes(), defaults.chunkBytes()), 1, limits.maxChunkBytes());
        int interval = within("intervalMs", orDefault(request.intervalMillis(), defaults.intervalMillis()),
                millis(limits.minInterval()), millis(limits.maxInterval()));
        int failAt = request.failAtChunk() == null ? 0 : within("failAtChunk", request.failAtChunk(), 1, chunks);
        String label = request.label() == null || TextRule.require("label", request.label()).isBlank()
                ? defaults.label() : request.label().strip();
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new ProtocolException(ErrorCode.INVALID_JOB, "'label' must be at most " + MAX_LABEL_LENGTH + " characters");
        }
        return new JobSpec(chunks, chunkBytes, interval, failAt, label);
    }

    private static int orDefault(Integer value, Integer fallback) {
        return value != null ? value : fallback;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    private static int within(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ProtocolException(ErrorCode.INVALID_JOB, "'" + field + "' must be between " + min + " and " + max
                    + ", was " + value);
        }
        return value;
    }

    private record JobSpec(int chunks, int chunkBytes, int intervalMillis, int failAtChunk, String label) {
    }

    /** One job's state; its lock orders its events, whichever thread (tick or cancel) sends them. */
    private final class Job implements Runnable {

        private final String id;
        private final String owner;
        private final String room;
        private final JobSpec spec;
        private final Consumer<ServerEvent.Progress> sink;
        private long startNanos;
        private int chunk;
        private boolean finished;
        private ScheduledFuture<?> ticks;

        Job(String id, String owner, String room, JobSpec spec, Consumer<ServerEvent.Progress> sink) {
            this.id = id;
            this.owner = owner;
            this.room = room;
            this.spec = spec;
            this.sink = sink;
        }

        synchronized void begin() {
            if (finished) {
                return; // its owner went away between registration and here
            }
            startNanos = System.nanoTime();
            report("running", null);
            ticks = scheduler.scheduleAtFixedRate(this, spec.intervalMillis, spec.intervalMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void run() {
            if (finished) {
                return;
            }
            try {
                if (chunk + 1 == spec.failAtChunk) {
                    finish("failed", "simulated failure at chunk " + spec.failAtChunk, true);
                    return;
                }
                chunk++;
                if (chunk == spec.chunks) {
                    finish("done", null, true);
                } else {
                    report("running", null);
                }
            } catch (RuntimeException e) {
                // An exception would silently end the periodic task and leave the job counted forever.
                log.warn("job {} for {} stopped: its sink failed: {}", id, owner, e.toString());
                finish("failed", "internal error", false);
            }
        }

        /** Ends the job once; false if it had already ended. */
        synchronized boolean finish(String state, String reason, boolean notify) {
            if (finished) {
                return false;
            }
            finished = true;
            if (ticks != null) {
                ticks.cancel(false);
            }
            remove(this);
            if (notify) {
                report(state, reason);
            }
            log.debug("job {} for {} ended: {}", id, owner, state);
            return true;
        }

        private void report(String state, String reason) {
            long total = (long) spec.chunks * spec.chunkBytes;
            long bytes = (long) chunk * spec.chunkBytes;
            long elapsedNanos = Math.max(1, System.nanoTime() - startNanos);
            long rate = chunk == 0 ? 0 : Math.round(bytes * 1e9 / elapsedNanos);
            Long eta = "done".equals(state) ? Long.valueOf(0)
                    : "running".equals(state) && rate > 0 ? Long.valueOf((total - bytes) * 1000 / rate) : null;
            double percent = Math.floor(bytes * 1000.0 / total) / 10.0;
            sink.accept(new ServerEvent.Progress(id, room, spec.label, state, percent, bytes, total, chunk, spec.chunks,
                    rate, eta, reason));
        }
    }
}
