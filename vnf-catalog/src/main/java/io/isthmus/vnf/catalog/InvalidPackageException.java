package io.isthmus.vnf.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * The one error of the catalog: a VNF package (SOL004 CSAR) that cannot be on-boarded. {@link #reason()} is for
 * machines, {@link #detail()} for people (it names the file at fault), {@link #httpStatus()} tells the API layer which
 * SOL013 ProblemDetails status to answer with: 400 when the upload is not a ZIP archive at all, 422 when it is one but
 * its content is not an acceptable package.
 */
public final class InvalidPackageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a package was refused. */
    public enum Reason {
        /** Not a ZIP archive, or a corrupt one (bad CRC, truncated). The only reason answered with 400. */
        MALFORMED_ARCHIVE(400),
        /** More entries, or more uncompressed bytes, than the {@link CsarLimits} allow (zip bomb guard). */
        ARCHIVE_LIMIT_EXCEEDED(422),
        /** An entry name that is absolute, contains {@code ..}, a backslash or a control character, or repeats. */
        UNSAFE_ENTRY_NAME(422),
        /** Neither TOSCA-Metadata/TOSCA.meta nor a single YAML file at the root of the archive. */
        MISSING_TOSCA_META(422),
        /** TOSCA.meta is unreadable or lacks a mandatory key. */
        INVALID_TOSCA_META(422),
        /** The Entry-Definitions file named by TOSCA.meta is not in the archive. */
        MISSING_ENTRY_DEFINITIONS(422),
        /** No manifest (.mf) where TOSCA.meta or the root-YAML layout says it is. */
        MISSING_MANIFEST(422),
        /** The manifest is unreadable, lacks metadata, or contradicts the VNFD. */
        INVALID_MANIFEST(422),
        /** The manifest lists a file that is not in the archive. */
        MISSING_ARTIFACT(422),
        /** The archive holds a file the manifest does not list, so nothing vouches for its content. */
        UNLISTED_ARTIFACT(422),
        /** A file's digest differs from the one the manifest declares for it. */
        HASH_MISMATCH(422),
        /** The VNFD is not valid YAML, or lacks what SOL001 requires of a VNFD. */
        INVALID_VNFD(422);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** 400 or 422, the status of the SOL013 ProblemDetails this reason maps to. */
        public int httpStatus() {
            return httpStatus;
        }

        /** True when the archive is a ZIP but its content is refused (422), false when it is not a ZIP (400). */
        public boolean isContentError() {
            return httpStatus == 422;
        }
    }

    private final Reason reason;
    private final String file;
    private final String detail;

    public InvalidPackageException(Reason reason, String file, String detail) {
        super(reason + ": " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.file = file;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    InvalidPackageException(Reason reason, String file, String detail, Throwable cause) {
        this(reason, file, detail);
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    /** Human-readable, names the file at fault; fit for the {@code detail} of a ProblemDetails. */
    public String detail() {
        return detail;
    }

    /** Path inside the archive of the file at fault, when there is one. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /** 400 when the upload is not a ZIP archive, 422 when its content is refused. */
    public int httpStatus() {
        return reason.httpStatus();
    }

    /** See {@link Reason#isContentError()}. */
    public boolean isContentError() {
        return reason.isContentError();
    }
}
