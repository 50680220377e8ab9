package io.wschat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What the kernel says a process costs ({@code /proc}, Linux): CPU time from
 * {@code /proc/PID/stat} (user + system, every thread, living or ended) and resident memory from
 * {@code /proc/PID/status} (VmRSS: heap, metaspace, thread stacks, direct buffers, all of it).
 */
final class ProcessStats {

    private static final long TICKS_PER_SECOND = clockTicks();

    private final Path proc;

    private ProcessStats(Path proc) {
        this.proc = proc;
    }

    static ProcessStats of(long pid) {
        return new ProcessStats(Path.of("/proc", Long.toString(pid)));
    }

    static ProcessStats self() {
        return of(ProcessHandle.current().pid());
    }

    /** User plus system CPU time the process has used so far, in microseconds (clock-tick resolution, usually 10 ms). */
    long cpuMicros() {
        String stat = read("stat");
        // The command name (field 2) is in parentheses and may contain spaces: count fields after it.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * TimeUnit.SECONDS.toMicros(1) / TICKS_PER_SECOND;
    }

    /** Resident set size in KiB. */
    long residentKiB() {
        for (String line : read("status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
            }
        }
        throw new IllegalStateException("no VmRSS in " + proc.resolve("status"));
    }

    /** The soft limit on open files ("Max open files" in {@code /proc/PID/limits}). */
    long openFilesLimit() {
        for (String line : read("limits").split("\n")) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no open files limit in " + proc.resolve("limits"));
    }

    private String read(String file) {
        try {
            return Files.readString(proc.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proc.resolve(file) + " (the benchmark needs Linux /proc)", e);
        }
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
