// Object names: the controller refuses names it could not show or reference safely.

import { ApiError } from '../http.js';

/** The longest object name the controller accepts (AKO shortens its own names to fit it). */
export const MAX_NAME_LENGTH = 255;

// C0 and C1 control characters, DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function checkName(model: string, name: string): void {
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new ApiError(400, `${model}: name is ${[...name].length} characters long; it must not exceed ${MAX_NAME_LENGTH} characters`);
  }
  if (CONTROL.test(name)) throw new ApiError(400, `${model}: name must not contain control characters`);
  if (name.trim() === '') throw new ApiError(400, `${model}: field 'name' must not be blank`);
}
