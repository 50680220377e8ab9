package io.wschat.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a newcomer without a browser sees from {@code ./mvnw verify}: a JVM of its own whose
 * {@code PATH} holds no browser and no driver, with Selenium Manager offline and an empty cache,
 * as on a fresh machine without network.
 */
class BrowsersTests {

    @Test
    void withNoBrowserAndNoDownloadTheFailureIsOneLineThatSaysWhatToInstall(@TempDir Path home) throws Exception {
        Path emptyBin = Files.createDirectories(home.resolve("bin"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder fork = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        fork.environment().put("PATH", emptyBin.toString());
        fork.environment().put("HOME", home.toString());
        fork.environment().put("SE_CACHE_PATH", home.resolve("selenium").toString());
        fork.environment().put("SE_OFFLINE", "true");

        Process probe = fork.start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe JVM ended").isTrue();
        assertThat(output.lines()).containsExactly(Browsers.NOTHING_INSTALLED);
    }

    /** Runs in the forked JVM: prints what the failure says, and nothing else. */
    static final class Probe {
        public static void main(String[] args) {
            try {
                Browsers.headlessChrome().quit();
                System.out.println("a browser started");
            } catch (RuntimeException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
