/**
 * How policies are arranged: the scopes and their {@code base} marker, products and the subscription key that
 * selects one, and the effective chain of an API, resolved once per configuration; the built-in policies live in
 * the sub-packages, one per family.
 */
package io.wsgate.core.policy;
