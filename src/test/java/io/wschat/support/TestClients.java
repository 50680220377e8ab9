package io.wschat.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The clients a test opened, in the order they connected, closed together after it. Safe to
 * connect from several threads at once.
 */
public final class TestClients implements AutoCloseable {

    private final List<TestClient> open = new ArrayList<>();

    public TestClient connect(String url) throws Exception {
        TestClient client = TestClient.connect(url);
        synchronized (open) {
            open.add(client);
        }
        return client;
    }

    /** The {@code index}-th client connected, from 0. */
    public TestClient get(int index) {
        synchronized (open) {
            return open.get(index);
        }
    }

    /** All of them, in the order they connected. */
    public List<TestClient> all() {
        synchronized (open) {
            return List.copyOf(open);
        }
    }

    @Override
    public void close() throws Exception {
        for (TestClient client : all()) {
            client.close();
        }
        synchronized (open) {
            open.clear();
        }
    }
}
