export const registerStatus: import('./main.js').Register = () => {};
