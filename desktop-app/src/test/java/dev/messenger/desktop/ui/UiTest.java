package dev.messenger.desktop.ui;

import dev.messenger.server.testing.BackendExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

/**
 * A test of the real app (headless JavaFX) against the real backend on its embedded PostgreSQL
 * and Kafka: a robot to drive it, and what the test opens closed after each test.
 */
@ExtendWith(BackendExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class UiTest {
    final FxRobot robot = new FxRobot();
    @RegisterExtension
    final Opened opened = new Opened(robot);

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        // A failure on the JavaFX thread shows in the test that waits for its effect, with context.
        WaitForAsyncUtils.autoCheckException = false;
    }
}
