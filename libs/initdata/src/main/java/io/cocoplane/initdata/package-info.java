/**
 * Init-data for Confidential Containers pods: the TOML document, its digest per TEE, the pod annotation codec
 * and a small built-in kata-agent policy generator.
 */
package io.cocoplane.initdata;
