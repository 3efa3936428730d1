/**
 * What users need to test their own policies and transports without a server: {@link io.wsgate.testing.PolicyTester}
 * (handshake policies), {@link io.wsgate.testing.MessagePolicyTester} (message policies, on a fake pair)
 * and its {@link io.wsgate.testing.ChainOutcome}, a {@link io.wsgate.testing.ManualScheduler} and recording fakes of
 * the transport ports.
 */
package io.wsgate.testing;
