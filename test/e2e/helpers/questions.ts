/** Questions the e2e tests type into the chat. */

/** The demo script's question: the adaptive brake fires and the answer is "80 km/h". */
export const TRAIN_QUESTION = "How fast is the train?";

/**
 * A choice question listing its options twice: the adaptive brake stands down, so the model
 * thinks until the thinking budget (long enough to act while it is still answering).
 */
export const TWO_OPTION_LISTS = "Which speed is right?\nA) 60 km/h\nB) 80 km/h\nC) 90 km/h\nThe options are:\nA: 45 km/h\nB: 80 km/h";
