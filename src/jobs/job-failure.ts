// A failure the user caused or can fix (bad data, a missing bucket, too little data): job work
// throws it and the runner records it as the job's failure with the message as failureReason.
// Anything else a job throws is an internal error, logged with its stack.
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}
