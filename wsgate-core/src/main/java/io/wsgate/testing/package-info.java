/** What users need to test their own policies without a server: {@link io.wsgate.testing.PolicyTester} and its {@link io.wsgate.testing.ChainOutcome}. */
package io.wsgate.testing;
