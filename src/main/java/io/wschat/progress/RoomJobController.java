package io.wschat.progress;

import io.wschat.chat.ErrorCode;
import io.wschat.chat.Names;
import io.wschat.chat.ProtocolException;
import io.wschat.chat.RoomPublisher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/jobs}: a server-side job whose progress every member of a room sees, on
 * every instance: its events go through the broker like any room event (live only, not stored).
 * Guarded by the API key; jobs are capped per room like a connection's.
 */
@RestController
@RequestMapping("/api/jobs")
class RoomJobController {

    record StartJob(String room, Integer chunks, Integer chunkBytes, Integer intervalMs, Integer failAtChunk, String label) {
    }

    record Started(String jobId, String room) {
    }

    private static final Logger log = LoggerFactory.getLogger(RoomJobController.class);

    private final ProgressJobs jobs;
    private final RoomPublisher publisher;

    RoomJobController(ProgressJobs jobs, RoomPublisher publisher) {
        this.jobs = jobs;
        this.publisher = publisher;
    }

    @PostMapping
    ResponseEntity<Started> start(@RequestBody StartJob body) {
        String room = Names.room(body.room());
        String jobId = jobs.start(owner(room), room,
                new JobRequest(body.chunks(), body.chunkBytes(), body.intervalMs(), body.failAtChunk(), body.label()),
                event -> publisher.publish(room, event));
        log.info("job {} started for room '{}' through the API", jobId, room);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Started(jobId, room));
    }

    @DeleteMapping("/{jobId}")
    ResponseEntity<Void> cancel(@PathVariable String jobId, @RequestParam String room) {
        if (!jobs.cancel(owner(Names.room(room)), jobId)) {
            throw new ProtocolException(ErrorCode.UNKNOWN_JOB, "no running job '" + jobId + "' in room '" + room + "'");
        }
        return ResponseEntity.noContent().build();
    }

    private static String owner(String room) {
        return "room:" + room;
    }
}
