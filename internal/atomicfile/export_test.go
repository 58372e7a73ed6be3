package atomicfile

// SetTestStep makes f run after each step of a publication (see testStep).
func SetTestStep(f func()) { testStep = f }
