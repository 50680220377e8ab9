package io.wschat.live;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Server push that is not chat ({@code chat.live.*}): simulated progress jobs and the time subscription.
 *
 * @param schedulerThreads threads of the one scheduler every job and subscription shares
 * @param progress         bounds and defaults of progress jobs
 * @param time             the {@code time} subscription
 */
@ConfigurationProperties("chat.live")
@Validated
public record LiveProperties(
        @DefaultValue("2") @Min(1) @Max(16) int schedulerThreads,
        @DefaultValue @Valid Progress progress,
        @DefaultValue @Valid Time time) {

    /**
     * @param maxChunks               the most chunks one job may have
     * @param maxChunkSize            the largest simulated chunk
     * @param minInterval             the shortest time between two events of one job (bounds the event rate)
     * @param maxInterval             the longest time between two events of one job
     * @param maxJobsPerConnection    jobs one connection (or one room, for {@code POST /api/jobs}) may run at once
     * @param maxJobs                 jobs this instance runs at once
     * @param defaultChunks           chunks of a job that names none
     * @param defaultChunkSize        chunk size of a job that names none
     * @param defaultInterval         interval of a job that names none
     */
    public record Progress(
            @DefaultValue("1000") @Min(1) int maxChunks,
            @DefaultValue("10MB") @NotNull DataSize maxChunkSize,
            @DefaultValue("50ms") @NotNull Duration minInterval,
            @DefaultValue("10s") @NotNull Duration maxInterval,
            @DefaultValue("3") @Min(1) int maxJobsPerConnection,
            @DefaultValue("200") @Min(1) int maxJobs,
            @DefaultValue("50") @Min(1) int defaultChunks,
            @DefaultValue("64KB") @NotNull DataSize defaultChunkSize,
            @DefaultValue("100ms") @NotNull Duration defaultInterval) {

        public Progress {
            if (minInterval != null && maxInterval != null && defaultInterval != null
                    && (defaultInterval.compareTo(minInterval) < 0 || defaultInterval.compareTo(maxInterval) > 0)) {
                throw new IllegalArgumentException("chat.live.progress.default-interval (" + defaultInterval
                        + ") must lie between chat.live.progress.min-interval and max-interval");
            }
            if (defaultChunks > maxChunks) {
                throw new IllegalArgumentException("chat.live.progress.default-chunks (" + defaultChunks
                        + ") must not exceed chat.live.progress.max-chunks (" + maxChunks + ")");
            }
            if (defaultChunkSize != null && maxChunkSize != null && defaultChunkSize.compareTo(maxChunkSize) > 0) {
                throw new IllegalArgumentException("chat.live.progress.default-chunk-size must not exceed max-chunk-size");
            }
        }
    }

    /**
     * @param interval    how often {@code time} is pushed when the subscriber names no interval
     * @param minInterval the shortest interval a subscriber may ask for
     * @param maxInterval the longest interval a subscriber may ask for
     */
    public record Time(
            @DefaultValue("5s") @NotNull Duration interval,
            @DefaultValue("1s") @NotNull Duration minInterval,
            @DefaultValue("60s") @NotNull Duration maxInterval) {

        public Time {
            if (interval != null && minInterval != null && maxInterval != null
                    && (interval.compareTo(minInterval) < 0 || interval.compareTo(maxInterval) > 0)) {
                throw new IllegalArgumentException("chat.live.time.interval (" + interval
                        + ") must lie between chat.live.time.min-interval and max-interval");
            }
        }
    }
}
