"""Writers: corrected diagrams and reference architectures in each format."""
