// Errors that reach the client. Modelled Personalize errors are HTTP 400 on the JSON 1.1 control
// plane; the rest-json events/runtime APIs give them real status codes (rules.md §1.4, §1.6).

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidInput = (message: string) => new ServiceError('InvalidInputException', message);
export const notFound = (message: string) => new ServiceError('ResourceNotFoundException', message);
export const alreadyExists = (message: string) => new ServiceError('ResourceAlreadyExistsException', message);
export const inUse = (message: string) => new ServiceError('ResourceInUseException', message);
export const limitExceeded = (message: string) => new ServiceError('LimitExceededException', message);
export const tooManyTags = (message: string) => new ServiceError('TooManyTagsException', message);
export const tooManyTagKeys = (message: string) => new ServiceError('TooManyTagKeysException', message);
export const invalidNextToken = (message = 'Invalid next token.') => new ServiceError('InvalidNextTokenException', message);
export const validation = (message: string) => new ServiceError('ValidationException', message);
export const serialization = (message: string) => new ServiceError('SerializationException', message);
