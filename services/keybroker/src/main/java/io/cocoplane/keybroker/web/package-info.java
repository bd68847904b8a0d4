/** The {@code /kbs/v0/} HTTP API and its trustee-style error rendering. */
package io.cocoplane.keybroker.web;
