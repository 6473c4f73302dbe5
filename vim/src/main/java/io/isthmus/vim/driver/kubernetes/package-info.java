/**
 * The Kubernetes driver: VNF components as Deployments and Services of the one VNF runtime image, through the Fabric8 client; desired state as a pure function ({@code VnfWorkloads}).
 */
package io.isthmus.vim.driver.kubernetes;
