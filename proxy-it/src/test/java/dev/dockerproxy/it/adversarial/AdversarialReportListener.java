package dev.dockerproxy.it.adversarial;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the adversarial report once the whole test plan has run (registered through
 * META-INF/services).
 */
public final class AdversarialReportListener implements TestExecutionListener {

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        AdversarialReport.write(true);
    }
}
