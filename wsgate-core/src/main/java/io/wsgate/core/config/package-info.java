/** How a gateway file names policies: the factory SPI every policy type is made by, its options, and the located error of a file. */
package io.wsgate.core.config;
