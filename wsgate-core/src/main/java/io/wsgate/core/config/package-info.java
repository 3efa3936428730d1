/** A gateway declared in a YAML file: the loader, its located errors, and the SPI that names custom policies. */
package io.wsgate.core.config;
