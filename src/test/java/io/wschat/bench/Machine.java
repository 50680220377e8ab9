package io.wschat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/** Where a run ran: a figure means little without the machine it was measured on. */
record Machine(String date, int cores, String cpu, long memoryMiB, String kernel, String java, String node) {

    static Machine describe() {
        return new Machine(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                Runtime.getRuntime().availableProcessors(),
                procLine("/proc/cpuinfo", "model name"),
                parseKiB(procLine("/proc/meminfo", "MemTotal")) / 1024,
                read("/proc/sys/kernel/osrelease"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                nodeVersion());
    }

    @Override
    public String toString() {
        return String.format("%s; %d cores, %s, %,d MiB; Linux %s; %s; Node.js %s", date, cores, cpu, memoryMiB, kernel, java, node);
    }

    private static String procLine(String file, String key) {
        for (String line : read(file).split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static long parseKiB(String value) {
        try {
            return Long.parseLong(value.replace("kB", "").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(node.getInputStream().readAllBytes()).trim();
            return node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0 ? version : "none";
        } catch (IOException e) {
            return "none";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
