package io.wschat.system;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.wschat.support.RunningApp;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code tls} profile serves wss:// from a keystore made here, with the JDK's keytool, as docs/CONFIGURATION.md says. */
class TlsTests {

    private static final String PASSWORD = "test-only-password";

    @TempDir
    static Path dir;

    static RunningApp app;
    static Certificate certificate;

    @BeforeAll
    static void startWithAThrowawayKeystore() throws Exception {
        Path keystore = dir.resolve("wschat.p12");
        Process keytool = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "wschat", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD))
                .redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(keytoolOutput).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        certificate = store.getCertificate("wschat");
        app = RunningApp.startWithProfile("tls",
                "spring.ssl.bundle.jks.wschat.keystore.location=file:" + keystore,
                "spring.ssl.bundle.jks.wschat.keystore.password=" + PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void chatWorksOverWssWithAClientTrustingOnlyThatCertificate() throws Exception {
        try (TestClient alice = TestClient.connect(clientTrusting(certificate), "wss://localhost:" + app.port() + "/chat?name=Alice")) {
            assertThat(alice.next("welcome").path("name").asString()).isEqualTo("Alice");
            alice.send("over TLS");
            assertThat(alice.next("message").path("text").asString()).isEqualTo("over TLS");
        }
    }

    /** Echo is read on Tomcat's poller, TLS records and all: small messages and one that spans many records. */
    @Test
    void echoWorksOverWss() throws Exception {
        try (TestClient client = TestClient.connect(clientTrusting(certificate), "wss://localhost:" + app.port() + "/echo")) {
            String large = "añ€😀".repeat(3_000);
            for (String text : List.of("over TLS", large, "after it")) {
                client.send(text);
                assertThat(client.nextFrame()).isEqualTo("got your message: " + text);
            }
        }
    }

    @Test
    void aClientWithTheDefaultTrustStoreRefusesTheSelfSignedCertificate() {
        assertThatThrownBy(() -> TestClient.connect("wss://localhost:" + app.port() + "/chat").close())
                .hasStackTraceContaining("SSLHandshakeException");
    }

    /** TLS 1.2 would let the client renegotiate: a key exchange on the server's reading thread whenever the client likes. */
    @Test
    void aTls12ClientIsRefused() throws Exception {
        try (SSLSocket socket = (SSLSocket) sslContextTrusting(certificate).getSocketFactory().createSocket("localhost", app.port())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void plainWsToTheTlsPortFails() {
        assertThatThrownBy(() -> TestClient.connect("ws://localhost:" + app.port() + "/chat").close())
                .isInstanceOf(Exception.class);
    }

    private static StandardWebSocketClient clientTrusting(Certificate certificate) throws Exception {
        StandardWebSocketClient client = TestClient.newClient();
        // Jakarta WebSocket 2.1 carries the SSLContext in the endpoint config (Tomcat 11 dropped its SSL_CONTEXT property).
        client.setSslContext(sslContextTrusting(certificate));
        return client;
    }

    private static SSLContext sslContextTrusting(Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("wschat", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        return ssl;
    }
}
