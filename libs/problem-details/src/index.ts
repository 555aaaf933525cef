export { DomainError, type ErrorCode, type InvalidField } from './domain-error.js';
export { httpStatusOf } from './error-catalogue.js';
export { problemOf, ProblemDetailsFilter, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details.filter.js';
