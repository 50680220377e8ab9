package io.wschat.live;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.wschat.chat.LiveUpdates;
import io.wschat.chat.ProtocolCodec;
import io.wschat.progress.JobRequest;
import io.wschat.progress.ProgressJobs;
import io.wschat.progress.ProgressLimits;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Progress jobs and the time subscription, all on one small shared scheduler. */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

    /** Every job tick and time tick runs here; tasks only compute and queue a frame, so a few threads serve thousands. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService liveUpdatesScheduler(LiveProperties properties) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "live-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        var scheduler = new ScheduledThreadPoolExecutor(properties.schedulerThreads(), threads);
        // Cancelled jobs and subscriptions must not linger in the queue until their next run time.
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    @Bean
    ProgressJobs progressJobs(@Qualifier("liveUpdatesScheduler") ScheduledExecutorService scheduler,
                              LiveProperties properties, MeterRegistry meters) {
        LiveProperties.Progress p = properties.progress();
        var limits = new ProgressLimits(p.maxChunks(), (int) Math.min(Integer.MAX_VALUE, p.maxChunkSize().toBytes()),
                p.minInterval(), p.maxInterval(), p.maxJobsPerConnection(), p.maxJobs(),
                new JobRequest(p.defaultChunks(), (int) p.defaultChunkSize().toBytes(), (int) p.defaultInterval().toMillis(),
                        null, "simulated download"));
        var jobs = new ProgressJobs(scheduler, limits);
        Gauge.builder("chat.progress.jobs", jobs, ProgressJobs::runningJobs)
                .description("progress jobs running on this instance").register(meters);
        return jobs;
    }

    @Bean
    TimeSubscriptions timeSubscriptions(@Qualifier("liveUpdatesScheduler") ScheduledExecutorService scheduler,
                                        LiveProperties properties, Clock clock) {
        return new TimeSubscriptions(scheduler, properties.time(), clock);
    }

    @Bean
    LiveUpdates liveUpdates(ProgressJobs jobs, TimeSubscriptions time, ProtocolCodec codec) {
        return new LiveSessionUpdates(jobs, time, codec);
    }
}
