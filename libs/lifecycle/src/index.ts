export { runUntilSignal, type ShutdownStep } from './shutdown';
