/**
 * Loads a gateway declared in a YAML file ({@link io.wsgate.core.file.GatewayFiles} and its loader), and reloads it
 * while the gateway runs, keeping the limits' state ({@link io.wsgate.core.file.ReloadingGatewayFile}).
 */
package io.wsgate.core.file;
