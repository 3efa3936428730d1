/** The validate-jwt policy: its keys, algorithms, JWKS sets and the places a token is read from. */
package io.wsgate.core.policy.jwt;
