package io.wschat.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/** The server on a random port with publish API keys configured; every test class using it shares one context. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chat.api.keys=" + LiveServerTest.API_KEY + "," + LiveServerTest.OTHER_API_KEY, "chat.api.burst=50"})
public @interface LiveServerTest {

    String API_KEY = "test-key-0123456789";
    String OTHER_API_KEY = "other-key-9876543210";
}
