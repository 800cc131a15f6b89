"""Reporters: each turns review results into one output format."""
