package io.wschat.progress;

import java.time.Duration;

/**
 * The bounds every job is held to, so progress can never flood a connection or the server.
 *
 * @param maxChunks       the most chunks one job may have
 * @param maxChunkBytes   the largest simulated chunk
 * @param minInterval     the shortest time between two progress events of one job
 * @param maxInterval     the longest time between two progress events of one job
 * @param maxJobsPerOwner the most jobs one connection (or one room, for API jobs) may run at once
 * @param maxJobs         the most jobs the whole instance runs at once
 * @param defaults        what a request that names nothing gets
 */
public record ProgressLimits(int maxChunks, int maxChunkBytes, Duration minInterval, Duration maxInterval,
                             int maxJobsPerOwner, int maxJobs, JobRequest defaults) {
}
