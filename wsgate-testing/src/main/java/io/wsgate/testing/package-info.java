/**
 * What users need to test their own policies and transports without a server: {@link io.wsgate.testing.PolicyTester}
 * and its {@link io.wsgate.testing.ChainOutcome} for handshake policies, {@link io.wsgate.testing.MessagePolicyTester}
 * for message policies on a fake pair, a {@link io.wsgate.testing.ManualScheduler} and recording fakes of the
 * transport ports.
 */
package io.wsgate.testing;
