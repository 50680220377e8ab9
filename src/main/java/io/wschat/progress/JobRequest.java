package io.wschat.progress;

/**
 * What a client asks a simulated job to do; null fields take the server's defaults.
 *
 * @param chunks         how many chunks the simulated download has
 * @param chunkBytes     how big each chunk is
 * @param intervalMillis how long each chunk takes, which is also how often progress is reported
 * @param failAtChunk    makes the job fail when it reaches that chunk, to show the failure path; null never fails
 * @param label          what the job is, for display
 */
public record JobRequest(Integer chunks, Integer chunkBytes, Integer intervalMillis, Integer failAtChunk, String label) {
}
