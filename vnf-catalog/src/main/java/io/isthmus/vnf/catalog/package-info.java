/**
 * VNF packages: SOL004 CSAR reading and validation, the SOL001 VNFD reader with the Isthmus declarations (VNF type, VDU roles, configuration schema) and the sizing policies (scaling aspects, instantiation levels), the one CSAR builder every VNF module's package is made with, and the configuration schema check. A plain library: no framework.
 */
package io.isthmus.vnf.catalog;
