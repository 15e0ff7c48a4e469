package io.firstvisit.patient;

public enum Sex {
    FEMALE, MALE
}
