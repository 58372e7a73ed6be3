package inventory

// SingleSpaced is singleSpaced, for the external tests (TestSingleSpaced).
var SingleSpaced = singleSpaced
