package dev.pypianalytics.api.types;

/** Downloads with one installer and file type. */
public record InstallerFileType(String installer, String fileType, long downloads) {
}
