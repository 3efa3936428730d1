/** Loads a gateway declared in a YAML file: {@link io.wsgate.core.file.GatewayFiles} and its loader. */
package io.wsgate.core.file;
