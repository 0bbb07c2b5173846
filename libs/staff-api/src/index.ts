export { StaffApiModule } from './staff-api.module.js';
