/**
 * The one VNF runtime: this module has no code of its own. Its jar, {@code target/isthmus-vnf-runtime.jar}, carries
 * the fastpath, the slowpath and every VNF type listed in its pom; the VIM starts every VNF from it, and a slowpath
 * finds the policy of its {@code --vnf-type} with {@link java.util.ServiceLoader}.
 */
package io.isthmus.vnf.runtime;
