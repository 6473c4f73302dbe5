/** The VIM API's request and response bodies (docs/contracts.md "VIM API"), as the vim serves and its clients read them. */
package io.isthmus.vimapi.model;
