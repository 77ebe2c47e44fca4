export const SDK_PLACEHOLDER = 1;
