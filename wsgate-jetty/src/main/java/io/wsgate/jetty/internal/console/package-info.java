/** The test console's pieces: the list of APIs and a diagnosis as JSON, and the diagnosed handshake built from the page's form. */
package io.wsgate.jetty.internal.console;
