/** Reads a gateway file: a YAML tree that keeps every node's line, and the readers that turn it into builders. */
package io.wsgate.core.internal.config;
