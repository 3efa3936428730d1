/**
 * What users need to test their own wsgate policies and transports without a server. Reads core's policy chain
 * runner, which core exports to this module alone.
 */
module io.wsgate.testing {
    // PolicyTester takes core's policies and chains; ManualScheduler is a core Scheduler; the recording fakes
    // implement core's transport ports.
    requires transitive io.wsgate.core;

    requires org.slf4j;

    exports io.wsgate.testing;
}
