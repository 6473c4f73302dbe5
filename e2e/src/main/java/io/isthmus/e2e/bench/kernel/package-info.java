/**
 * The comparison with the kernel's own masquerade between network namespaces (figure 5; root).
 */
package io.isthmus.e2e.bench.kernel;
