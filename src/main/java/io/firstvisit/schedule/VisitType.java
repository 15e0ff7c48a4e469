package io.firstvisit.schedule;

public enum VisitType {
    FIRST, FOLLOW_UP
}
