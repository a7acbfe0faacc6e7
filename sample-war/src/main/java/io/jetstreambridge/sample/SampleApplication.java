package io.jetstreambridge.sample;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** REST endpoints under {@code /{orders|billing|shipping}/api}. */
@ApplicationPath("/api")
public class SampleApplication extends Application {
}
