export { Community } from './Community.ts';
export { CrossAppointment } from './CrossAppointment.ts';
export { District } from './District.ts';
export { Organisation } from './Organisation.ts';
export { Post } from './Post.ts';
export { Subdistrict } from './Subdistrict.ts';
